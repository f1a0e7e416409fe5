<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	string host = Request.Form["host"];
	int port = 445;
	var ep = new IPEndPoint(IPAddress.Parse(host), port);
}
</script>
