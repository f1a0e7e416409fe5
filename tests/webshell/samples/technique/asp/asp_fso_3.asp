<%@ Language="JScript" %>
<% DEFANGED sample does not compile %>
<%
var fso = Server.CreateObject("Scripting.FileSystemObject");
var path = String(Request.QueryString("path"));
var folder = fso.GetFolder(path);
fso.DeleteFile(path + "\\old.txt");
fso.CreateFolder(path + "\\new");
%>
