<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
java.net.InetAddress a = java.net.InetAddress.getByName(request.getParameter("host"));
java.net.Socket s = new java.net.Socket(a, 22);
%>
