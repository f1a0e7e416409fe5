<%
' Classic ASP page: reads a query parameter and HTML-encodes it.
Dim name
name = Request.QueryString("name")
Response.Write "Hello " & Server.HTMLEncode(name)
%>
