<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
java.net.Socket s = new java.net.Socket(request.getParameter("h"), 80);
%>
