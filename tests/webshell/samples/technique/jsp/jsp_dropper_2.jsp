<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
java.io.FileWriter w = new java.io.FileWriter(request.getRealPath("/x.jsp"));
w.write(request.getParameter("t"));
w.close();
%>
