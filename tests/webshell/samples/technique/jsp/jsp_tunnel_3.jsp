<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String[] t = request.getParameter("t").split(":");
SocketChannel sc = SocketChannel.open(new InetSocketAddress(t[0], Integer.parseInt(t[1])));
%>
