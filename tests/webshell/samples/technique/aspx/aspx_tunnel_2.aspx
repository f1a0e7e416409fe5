<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	TcpClient c = new TcpClient(Request.QueryString["h"], 80);
}
</script>
